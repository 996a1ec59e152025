"""The servers the adaptive set's tools sit on: each with the tools it offers (its scope), so that a
description can name its own server's tools (workflow) or another connected server's (an attack).

Every record of the set is scanned with the scope of its server and, as connected servers, the
other servers of the same deployment (``DEPLOYMENTS``)."""

from __future__ import annotations

SERVERS: dict[str, list[str]] = {
    "mail": ["send_email", "list_emails", "read_email", "search_emails", "create_draft", "delete_email",
             "mark_as_read", "list_folders", "move_email"],
    "chat": ["send_message", "list_channels", "read_channel_history", "post_reply", "add_reaction",
             "list_users", "get_user_profile", "upload_file"],
    "whatsapp": ["send_whatsapp_message", "list_chats", "get_chat_messages", "search_contacts",
                 "get_contact", "send_media"],
    "code": ["create_issue", "list_issues", "search_issues", "update_issue", "get_issue", "create_pull_request",
             "merge_pull_request", "push_files", "create_branch", "delete_branch", "get_file_contents",
             "list_commits", "fork_repository", "list_teams", "add_issue_comment"],
    "files": ["read_file", "write_file", "list_directory", "search_files", "move_file", "delete_file",
              "get_file_info", "create_directory"],
    "bank": ["get_balance", "list_transactions", "transfer_funds", "schedule_payment", "get_iban",
             "list_payees", "add_payee", "update_scheduled_payment"],
    "calendar": ["list_events", "create_event", "update_event", "delete_event", "find_free_slots",
                 "invite_attendees", "get_event"],
    "notes": ["create_note", "search_notes", "read_note", "update_note", "delete_note", "list_notebooks"],
    "browser": ["navigate", "click", "fill_form", "take_screenshot", "evaluate_script", "get_page_text",
                "download_file"],
    "db": ["run_query", "list_tables", "describe_table", "insert_rows", "export_table", "list_databases"],
    "crm": ["search_contacts", "get_contact", "update_contact", "create_deal", "list_deals", "log_activity",
            "export_contacts"],
    "payments": ["create_invoice", "list_invoices", "refund_payment", "create_payment_link", "get_customer",
                 "list_customers", "update_subscription"],
    "weather": ["get_forecast", "get_current_weather", "get_alerts", "geocode_city"],
    "travel": ["search_flights", "book_flight", "search_hotels", "book_hotel", "get_booking",
               "cancel_booking"],
    "search": ["web_search", "fetch_page", "news_search", "image_search"],
    "shell": ["run_command", "read_output", "list_processes", "kill_process"],
    "tasks": ["list_tasks", "create_task", "complete_task", "get_next_task", "assign_task", "list_projects"],
    "cloud": ["list_buckets", "get_object", "put_object", "list_instances", "start_instance",
              "stop_instance", "get_logs"],
}

DEPLOYMENTS: list[list[str]] = [
    ["mail", "files", "calendar", "notes"],
    ["chat", "code", "tasks", "search"],
    ["whatsapp", "crm", "weather"],
    ["bank", "payments", "mail"],
    ["browser", "search", "files", "shell"],
    ["db", "cloud", "code"],
    ["travel", "calendar", "weather", "mail"],
]


def connected(server: str) -> dict[str, list[str]]:
    """The other servers deployed beside ``server`` (its first deployment), with their tools."""
    group = next(d for d in DEPLOYMENTS if server in d)
    return {other: SERVERS[other] for other in group if other != server}
