"""The clean side of the tool-poisoning benchmark: tool definitions as published MCP servers list them.

    .venv/bin/python bench/scan_corpus.py [--cache DIR] [--set train|heldout|heldout2|...|heldout8] [--out FILE]

Installs each server below (npm packages into one folder, each Python server into its own virtual
environment), starts it over stdio with placeholder credentials (listing tools needs none of them to
be valid), asks for ``tools/list`` with the ``mcp`` SDK client, and writes one JSON line per tool:
``source`` ("server"), ``server``, ``package``, ``version``, ``name``, ``description`` and
``input_schema``. A server that fails to install or to list its tools is reported and skipped.
The file is committed, so the benchmark (bench/scan_bench.py) runs without installing anything.

``--set heldout`` lists a second, disjoint set of servers (``HELDOUT_NPM``, ``HELDOUT_PYTHON``) into
``bench/data/clean_server_tools_heldout.jsonl``: tools that nothing is trained or tuned on, read only
to measure false alarms on servers the detectors never saw (added 2026-12-06, issue 42). ``--set
heldout2`` lists a third set (``HELDOUT2_NPM``, ``HELDOUT2_PYTHON``), chosen on 2026-12-07 after the
first held-out set had been read several times, into ``bench/data/clean_server_tools_heldout2.jsonl``;
``--set heldout3`` a fourth (``HELDOUT3_NPM``, ``HELDOUT3_PYTHON``), chosen after the second set's false
alarms had been read, into ``bench/data/clean_server_tools_heldout3.jsonl``; ``--set heldout4`` a fifth
(``HELDOUT4_NPM``, ``HELDOUT4_PYTHON``), listed after the fourth was measured, into
``bench/data/clean_server_tools_heldout4.jsonl``; ``--set heldout5`` a sixth (``HELDOUT5_NPM``,
``HELDOUT5_PYTHON``), listed under protocol D after the third and fourth sets' totals had been seen three
times, into ``bench/data/clean_server_tools_heldout5.jsonl``; ``--set heldout6`` a seventh (``HELDOUT6_PYTHON``,
nearly all AWS's own servers), listed under protocol E, into ``bench/data/clean_server_tools_heldout6.jsonl``;
``--set heldout7`` and ``--set heldout8`` two more (``HELDOUT7_*``, ``HELDOUT8_*``), listed under protocols G
and H of bench/NOTES.md, into ``clean_server_tools_heldout7.jsonl`` and ``clean_server_tools_heldout8.jsonl``.
(The sets' ordinals elsewhere count the first held-out set as the first: ``heldout8`` is the eighth.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from mcp import Client, StdioServerParameters

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "placeholder-not-a-real-credential"
NPM = {  # package: (server name, extra args, extra environment)
    "@modelcontextprotocol/server-aws-kb-retrieval": ("aws-kb-retrieval", [], {
        "AWS_ACCESS_KEY_ID": PLACEHOLDER, "AWS_SECRET_ACCESS_KEY": PLACEHOLDER, "AWS_REGION": "us-east-1"}),
    "@modelcontextprotocol/server-brave-search": ("brave-search", [], {"BRAVE_API_KEY": PLACEHOLDER}),
    "@modelcontextprotocol/server-everart": ("everart", [], {"EVERART_API_KEY": PLACEHOLDER}),
    "@modelcontextprotocol/server-everything": ("everything", ["stdio"], {}),
    "@modelcontextprotocol/server-filesystem": ("filesystem", ["{tmp}"], {}),
    "@modelcontextprotocol/server-gdrive": ("gdrive", [], {}),
    "@modelcontextprotocol/server-github": ("github", [], {"GITHUB_PERSONAL_ACCESS_TOKEN": PLACEHOLDER}),
    "@modelcontextprotocol/server-gitlab": ("gitlab", [], {"GITLAB_PERSONAL_ACCESS_TOKEN": PLACEHOLDER}),
    "@modelcontextprotocol/server-google-maps": ("google-maps", [], {"GOOGLE_MAPS_API_KEY": PLACEHOLDER}),
    "@modelcontextprotocol/server-memory": ("memory", [], {"MEMORY_FILE_PATH": "{tmp}/memory.jsonl"}),
    "@modelcontextprotocol/server-postgres": ("postgres", ["postgresql://127.0.0.1:1/none"], {}),
    "@modelcontextprotocol/server-puppeteer": ("puppeteer", [], {}),
    "@modelcontextprotocol/server-redis": ("redis", ["redis://127.0.0.1:1"], {}),
    "@modelcontextprotocol/server-sequential-thinking": ("sequential-thinking", [], {}),
    "@modelcontextprotocol/server-slack": ("slack", [], {"SLACK_BOT_TOKEN": PLACEHOLDER,
                                                       "SLACK_TEAM_ID": "T000"}),
    "@upstash/context7-mcp": ("context7", [], {}),
    "@playwright/mcp": ("playwright", [], {}),
    "@executeautomation/playwright-mcp-server": ("playwright-ea", [], {}),
    "@notionhq/notion-mcp-server": ("notion", [], {"NOTION_TOKEN": PLACEHOLDER}),
    "firecrawl-mcp": ("firecrawl", [], {"FIRECRAWL_API_KEY": PLACEHOLDER}),
    "tavily-mcp": ("tavily", [], {"TAVILY_API_KEY": PLACEHOLDER}),
    "exa-mcp-server": ("exa", [], {"EXA_API_KEY": PLACEHOLDER}),
    "@wonderwhy-er/desktop-commander": ("desktop-commander", [], {}),
    "@antv/mcp-server-chart": ("chart", [], {}),
    "mcp-server-kubernetes": ("kubernetes", [], {}),
    "@stripe/mcp": ("stripe", ["--tools=all", f"--api-key=sk_test_{PLACEHOLDER}"], {}),
    "@kimtaeyoon83/mcp-server-youtube-transcript": ("youtube-transcript", [], {}),
    "@benborla29/mcp-server-mysql": ("mysql", [], {"MYSQL_HOST": "127.0.0.1", "MYSQL_PORT": "1"}),
    "@browserbasehq/mcp-server-browserbase": ("browserbase", [], {"BROWSERBASE_API_KEY": PLACEHOLDER,
                                                                 "BROWSERBASE_PROJECT_ID": PLACEHOLDER}),
    "duckduckgo-mcp-server": ("duckduckgo", [], {}),
    "figma-developer-mcp": ("figma", ["--stdio"], {"FIGMA_API_KEY": PLACEHOLDER}),
    "@heroku/mcp-server": ("heroku", [], {"HEROKU_API_KEY": PLACEHOLDER}),
    "chrome-devtools-mcp": ("chrome-devtools", [], {}),
    "mongodb-mcp-server": ("mongodb", [], {}),
    "@supabase/mcp-server-supabase": ("supabase", [f"--access-token={PLACEHOLDER}"], {}),
    "@sentry/mcp-server": ("sentry", [f"--access-token={PLACEHOLDER}"], {}),
    "@browsermcp/mcp": ("browsermcp", [], {}),
    "@agentdeskai/browser-tools-mcp": ("browser-tools", [], {}),
    "@brightdata/mcp": ("brightdata", [], {"API_TOKEN": PLACEHOLDER}),
    "@apify/actors-mcp-server": ("apify", [], {"APIFY_TOKEN": PLACEHOLDER}),
    "airtable-mcp-server": ("airtable", [], {"AIRTABLE_API_KEY": PLACEHOLDER}),
    "@cyanheads/git-mcp-server": ("git-cyanheads", [], {}),
    "@circleci/mcp-server-circleci": ("circleci", [], {"CIRCLECI_TOKEN": PLACEHOLDER}),
    "@hubspot/mcp-server": ("hubspot", [], {"PRIVATE_APP_ACCESS_TOKEN": PLACEHOLDER}),
    "@neondatabase/mcp-server-neon": ("neon", ["start", PLACEHOLDER], {}),
    "@translated/lara-mcp": ("lara", [], {"LARA_ACCESS_KEY_ID": PLACEHOLDER,
                                          "LARA_ACCESS_KEY_SECRET": PLACEHOLDER}),
    "@line/line-bot-mcp-server": ("line-bot", [], {"CHANNEL_ACCESS_TOKEN": PLACEHOLDER,
                                                   "DESTINATION_USER_ID": "U0"}),
    "@azure-devops/mcp": ("azure-devops", ["placeholder-org"], {}),
    "@railway/mcp-server": ("railway", [], {}),
    "@upstash/mcp-server": ("upstash", ["run", "user@example.com", PLACEHOLDER], {}),
    "@perplexity-ai/mcp-server": ("perplexity", [], {"PERPLEXITY_API_KEY": PLACEHOLDER}),
    "@elastic/mcp-server-elasticsearch": ("elasticsearch", [], {"ES_URL": "http://127.0.0.1:1",
                                                                "ES_API_KEY": PLACEHOLDER}),
    "@kazuph/mcp-taskmanager": ("taskmanager", [], {}),
    "@tacticlaunch/mcp-linear": ("linear", [], {"LINEAR_API_TOKEN": PLACEHOLDER}),
}
HELDOUT_NPM = {  # never trained or tuned on (see the docstring); same shape as NPM
    "@zereight/mcp-gitlab": ("gitlab-zereight", [], {"GITLAB_PERSONAL_ACCESS_TOKEN": PLACEHOLDER}),
    "@winor30/mcp-server-datadog": ("datadog", [], {"DATADOG_API_KEY": PLACEHOLDER,
                                                    "DATADOG_APP_KEY": PLACEHOLDER}),
    "@shortcut/mcp": ("shortcut", [], {"SHORTCUT_API_TOKEN": PLACEHOLDER}),
    "@eslint/mcp": ("eslint", [], {}),
    "@mastra/mcp-docs-server": ("mastra-docs", [], {}),
    "mcp-hello-world": ("hello-world", [], {}),
    "@pandacss/mcp": ("pandacss", [], {}),
    "next-devtools-mcp": ("next-devtools", [], {}),
    "@drawio/mcp": ("drawio", [], {}),
    "@mobilenext/mobile-mcp": ("mobile", [], {}),
    "@currents/mcp": ("currents", [], {"CURRENTS_API_KEY": PLACEHOLDER}),
    "@brave/brave-search-mcp-server": ("brave-search-2", [], {"BRAVE_API_KEY": PLACEHOLDER}),
    "mcp-server-code-runner": ("code-runner", [], {}),
    "backlog-mcp-server": ("backlog", [], {"BACKLOG_DOMAIN": "example.backlog.com",
                                           "BACKLOG_API_KEY": PLACEHOLDER}),
    "@shopify/dev-mcp": ("shopify-dev", [], {}),
    "@softeria/ms-365-mcp-server": ("ms-365", [], {}),
    "@mondaydotcomorg/monday-api-mcp": ("monday", ["-t", PLACEHOLDER], {}),
    "@mapbox/mcp-server": ("mapbox", [], {"MAPBOX_ACCESS_TOKEN": "pk." + PLACEHOLDER}),
    "mcp-mermaid": ("mermaid", [], {}),
    "@amap/amap-maps-mcp-server": ("amap", [], {"AMAP_MAPS_API_KEY": PLACEHOLDER}),
    "@openbnb/mcp-server-airbnb": ("airbnb", [], {}),
    "@pinecone-database/mcp": ("pinecone", [], {"PINECONE_API_KEY": PLACEHOLDER}),
    "@roychri/mcp-server-asana": ("asana", [], {"ASANA_ACCESS_TOKEN": PLACEHOLDER}),
    "fetcher-mcp": ("fetcher", [], {}),
    "replicate-mcp": ("replicate", [], {"REPLICATE_API_TOKEN": PLACEHOLDER}),
    "mcp-deepwiki": ("deepwiki", [], {}),
    "@skanda-yutori/mcp-send-email": ("send-email", [], {"RESEND_API_KEY": PLACEHOLDER}),
    "reddit-mcp-buddy": ("reddit", [], {}),
    "@nexus2520/bitbucket-mcp-server": ("bitbucket", [], {"BITBUCKET_USERNAME": "user",
                                                          "BITBUCKET_APP_PASSWORD": PLACEHOLDER}),
    "flightradar-mcp-server": ("flightradar", [], {"FR24_API_KEY": PLACEHOLDER}),
    "@negokaz/excel-mcp-server": ("excel", [], {}),
    "hostinger-api-mcp": ("hostinger", [], {"API_TOKEN": PLACEHOLDER}),
    "@sylphx/pdf-reader-mcp": ("pdf-reader", [], {}),
    "mcp-searxng": ("searxng", [], {"SEARXNG_URL": "http://127.0.0.1:1"}),
    "@browserstack/mcp-server": ("browserstack", [], {"BROWSERSTACK_USERNAME": "user",
                                                      "BROWSERSTACK_ACCESS_KEY": PLACEHOLDER}),
    "@tiberriver256/mcp-server-azure-devops": ("azure-devops-2", [], {
        "AZURE_DEVOPS_ORG_URL": "https://dev.azure.com/example", "AZURE_DEVOPS_AUTH_METHOD": "pat",
        "AZURE_DEVOPS_PAT": PLACEHOLDER}),
    "@ergut/mcp-bigquery-server": ("bigquery", ["--project-id", "example"], {}),
    "serper-search-scrape-mcp-server": ("serper", [], {"SERPER_API_KEY": PLACEHOLDER}),
    "@gongrzhe/server-travelplanner-mcp": ("travelplanner", [], {"GOOGLE_MAPS_API_KEY": PLACEHOLDER}),
    "@codefuturist/email-mcp": ("email-imap", [], {}),
    "github-mcp-server": ("github-2", [], {"GITHUB_TOKEN": PLACEHOLDER}),
    "howtocook-mcp": ("howtocook", [], {}),
    "@henkey/postgres-mcp-server": ("postgres-henkey", [], {}),
    "@doist/todoist-ai": ("todoist", [], {"TODOIST_API_KEY": PLACEHOLDER}),
    "@atlassian-dc-mcp/jira": ("jira-dc", [], {"JIRA_HOST": "jira.example.com",
                                              "JIRA_API_TOKEN": PLACEHOLDER}),
    "@atlassian-dc-mcp/bitbucket": ("bitbucket-dc", [], {"BITBUCKET_HOST": "bb.example.com",
                                                        "BITBUCKET_API_TOKEN": PLACEHOLDER}),
    "@agent-infra/mcp-server-filesystem": ("filesystem-agent-infra", ["{tmp}"], {}),
    "@cocal/google-calendar-mcp": ("google-calendar", [], {}),
    "n8n-mcp": ("n8n", [], {"MCP_MODE": "stdio"}),
    "@launchdarkly/mcp-server": ("launchdarkly", ["start", "--api-key", PLACEHOLDER], {}),
    "@bytebase/dbhub": ("dbhub", ["--transport", "stdio", "--dsn", "sqlite:///{tmp}/x.db"], {}),
    "@storybook/mcp": ("storybook", [], {}),
    "nx-mcp": ("nx", [], {}),
    "cclsp": ("cclsp", [], {}),
    "@cloudflare/mcp-server-cloudflare": ("cloudflare", ["run", "placeholder-account"], {}),
    "@sveltejs/mcp": ("svelte", [], {}),
    "@remotion/mcp": ("remotion", [], {}),
    "argocd-mcp": ("argocd", ["stdio"], {"ARGOCD_BASE_URL": "https://argocd.example.com",
                                         "ARGOCD_API_TOKEN": PLACEHOLDER}),
}
HELDOUT_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "mcp-server-docy": ("docy", "mcp-server-docy", [], {}),
    "mcp-proxmox": ("proxmox", "mcp-proxmox", [], {}),
    "awslabs.cdk-mcp-server": ("aws-cdk", "awslabs.cdk-mcp-server", [], {}),
    "awslabs.aws-pricing-mcp-server": ("aws-pricing", "awslabs.aws-pricing-mcp-server", [], {}),
    "awslabs.terraform-mcp-server": ("aws-terraform", "awslabs.terraform-mcp-server", [], {}),
    "awslabs.dynamodb-mcp-server": ("dynamodb", "awslabs.dynamodb-mcp-server", [], {}),
    "mcp-server-qdrant": ("qdrant", "mcp-server-qdrant", [], {"QDRANT_LOCAL_PATH": "{tmp}/qdrant",
                                                            "COLLECTION_NAME": "notes"}),
    "mcp-youtube-transcript": ("youtube-transcript-py", "mcp-youtube-transcript", [], {}),
    "zotero-mcp": ("zotero", "zotero-mcp", [], {"ZOTERO_LOCAL": "true"}),
    "mcp-server-motherduck": ("motherduck", "mcp-server-motherduck", ["--db-path", ":memory:"], {}),
    "iterm-mcp": ("iterm", "iterm-mcp", [], {}),
    "mcp-server-calculator": ("calculator", "mcp-server-calculator", [], {}),
    "mcp-pandoc": ("pandoc", "mcp-pandoc", [], {}),
    "wikipedia-mcp": ("wikipedia", "wikipedia-mcp", [], {}),
    "mcp-google-sheets": ("google-sheets", "mcp-google-sheets", [], {}),
    "mcp-server-browser-use": ("browser-use", "mcp-server-browser-use", [], {}),
    "yfinance-mcp": ("yfinance", "yfinance-mcp", [], {}),
    "mcp-snowflake-server": ("snowflake", "mcp_snowflake_server", [], {}),
    "excel-mcp-server": ("excel-py", "excel-mcp-server", ["stdio"], {}),
    "mcp-server-tree-sitter": ("tree-sitter", "mcp-server-tree-sitter", [], {}),
}
HELDOUT2_NPM = {  # a second held-out set, listed before any was read (bench/NOTES.md); same shape as NPM
    "@twilio-alpha/mcp": ("twilio", ["AC00000000000000000000000000000000/SK00000000000000000000000000000000:"
                                     + PLACEHOLDER], {}),
    "@auth0/auth0-mcp-server": ("auth0", ["run"], {}),
    "@salesforce/mcp": ("salesforce", ["--orgs", "DEFAULT_TARGET_ORG"], {}),
    "@sanity/mcp-server": ("sanity", [], {"SANITY_PROJECT_ID": "placeholder", "SANITY_DATASET": "production",
                                          "SANITY_API_TOKEN": PLACEHOLDER, "MCP_USER_ROLE": "developer"}),
    "@netlify/mcp": ("netlify", [], {}),
    "@gleanwork/local-mcp-server": ("glean", [], {"GLEAN_INSTANCE": "placeholder", "GLEAN_API_TOKEN": PLACEHOLDER}),
    "@dynatrace-oss/dynatrace-mcp-server": ("dynatrace", [], {"DT_ENVIRONMENT": "https://abc12345.apps.dynatrace.com"}),
    "@xeroapi/xero-mcp-server": ("xero", [], {"XERO_CLIENT_ID": PLACEHOLDER, "XERO_CLIENT_SECRET": PLACEHOLDER}),
    "@microsoft/clarity-mcp-server": ("clarity", [f"--clarity_api_token={PLACEHOLDER}"], {}),
    "@vapi-ai/mcp-server": ("vapi", [], {"VAPI_TOKEN": PLACEHOLDER}),
    "deepl-mcp-server": ("deepl", [], {"DEEPL_API_KEY": PLACEHOLDER}),
    "@mzxrai/mcp-webresearch": ("webresearch", [], {}),
    "@llmindset/mcp-hfspace": ("hfspace", [], {}),
    "@postman/postman-mcp-server": ("postman", [], {"POSTMAN_API_KEY": PLACEHOLDER}),
    "mcp-turso-cloud": ("turso", [], {"TURSO_API_TOKEN": PLACEHOLDER, "TURSO_ORGANIZATION": "placeholder"}),
}

HELDOUT2_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "elevenlabs-mcp": ("elevenlabs", "elevenlabs-mcp", [], {"ELEVENLABS_API_KEY": PLACEHOLDER}),
    "alpaca-mcp-server": ("alpaca", "alpaca-mcp-server", [], {"ALPACA_API_KEY": PLACEHOLDER,
                                                               "ALPACA_SECRET_KEY": PLACEHOLDER}),
    "mcp<2 semgrep-mcp": ("semgrep", "semgrep-mcp", [], {}),
    "mcp<2 chroma-mcp": ("chroma", "chroma-mcp", ["--client-type", "ephemeral"], {}),
    "mcp-shell-server": ("shell-server", "mcp-shell-server", [], {"ALLOW_COMMANDS": "ls,cat,pwd"}),
    "jupyter-mcp-server": ("jupyter", "jupyter-mcp-server", [], {}),
    "opensearch-mcp-server-py": ("opensearch", "opensearch-mcp-server-py", [],
                                 {"OPENSEARCH_URL": "http://127.0.0.1:1"}),
    "mcp<2 logfire-mcp": ("logfire", "logfire-mcp", [], {"LOGFIRE_READ_TOKEN": PLACEHOLDER}),
    "mcp<2 mcp-server-rabbitmq": ("rabbitmq", "mcp-server-rabbitmq", [], {}),
    "greptimedb-mcp-server": ("greptimedb", "greptimedb-mcp-server", [], {}),
    "mcp-alchemy": ("alchemy", "mcp-alchemy", [], {"DB_URL": "sqlite:///{tmp}/alchemy.db"}),
    "mcp<2 mcp-server-duckdb": ("duckdb", "mcp-server-duckdb", ["--db-path", "{tmp}/db.duckdb"], {}),
    "mcp<2 mem0-mcp-server": ("mem0", "mem0-mcp-server", [], {"MEM0_API_KEY": PLACEHOLDER}),
    "mcp-weather-server": ("weather-server", "mcp-weather-server", [], {}),
}

HELDOUT3_NPM = {  # a third held-out set, listed before any was installed (bench/NOTES.md); same shape as NPM;
    # hyperbrowser-mcp was listed too and dropped after the measurement: MCPTox poisons its tools
    "square-mcp-server": ("square", [], {"ACCESS_TOKEN": PLACEHOLDER, "SANDBOX": "true"}),
    "@paddle/paddle-mcp": ("paddle", [f"--api-key={PLACEHOLDER}", "--environment=sandbox"],
                           {"PADDLE_API_KEY": PLACEHOLDER}),
    "@coingecko/coingecko-mcp": ("coingecko", [], {"COINGECKO_DEMO_API_KEY": PLACEHOLDER,
                                                   "COINGECKO_ENVIRONMENT": "demo"}),
    "@21st-dev/magic": ("magic-21st", [], {"API_KEY": PLACEHOLDER}),
    "@mux/mcp": ("mux", [], {"MUX_TOKEN_ID": PLACEHOLDER, "MUX_TOKEN_SECRET": PLACEHOLDER}),
    "resend-mcp": ("resend", [], {"RESEND_API_KEY": PLACEHOLDER}),
    "@cloudinary/asset-management-mcp": ("cloudinary", ["start"],
                                         {"CLOUDINARY_URL": "cloudinary://111:placeholder@placeholder"}),
    "@mastergo/magic-mcp": ("mastergo", [f"--token={PLACEHOLDER}"], {}),
    "@mui/mcp": ("mui", [], {}),
    "@chakra-ui/react-mcp": ("chakra-ui", [], {}),
    "@niledatabase/nile-mcp-server": ("nile", [], {"NILE_API_KEY": PLACEHOLDER, "NILE_WORKSPACE_SLUG": "placeholder"}),
    "@makeplane/plane-mcp-server": ("plane", [], {"PLANE_API_KEY": PLACEHOLDER, "PLANE_WORKSPACE_SLUG": "placeholder",
                                                  "PLANE_API_HOST_URL": "https://api.plane.so/"}),
    "@gannonh/firebase-mcp": ("firebase", [], {"SERVICE_ACCOUNT_KEY_PATH": "{tmp}/key.json"}),
    "@googlemaps/code-assist-mcp": ("googlemaps-code-assist", [], {}),
    "@magicuidesign/mcp": ("magicui", [], {}),
    "@db-ux/mcp-server": ("db-ux", [], {}),
    "@instantdb/mcp": ("instantdb", [], {"INSTANT_ACCESS_TOKEN": PLACEHOLDER}),
    "@llmindset/mcp-miro": ("miro", ["--token", PLACEHOLDER], {}),
}
HELDOUT3_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "blender-mcp": ("blender", "blender-mcp", [], {}),
    "mcp<2 lancedb-mcp": ("lancedb", "lancedb-mcp", [], {"LANCEDB_URI": "{tmp}/lance",
                                                          "EMBED_API_BASE": "http://127.0.0.1:1/v1"}),
    "mcp-nixos": ("nixos", "mcp-nixos", [], {}),
    "mcp<2 mcp-tinybird": ("tinybird", "mcp-tinybird", [], {"TB_API_URL": "https://api.tinybird.co",
                                                      "TB_ADMIN_TOKEN": PLACEHOLDER}),
    "mcp<2 ida-pro-mcp": ("ida-pro", "ida-pro-mcp", [], {}),
    "mcp-server-home-assistant": ("home-assistant", "mcp-server-home-assistant", [],
                                  {"HOME_ASSISTANT_WEB_SOCKET_URL": "ws://127.0.0.1:1/api/websocket",
                                   "HOME_ASSISTANT_API_TOKEN": PLACEHOLDER,
                                   "HOME_ASSISTANT_URL": "http://127.0.0.1:1", "HOME_ASSISTANT_TOKEN": PLACEHOLDER,
                                   "HASS_URL": "http://127.0.0.1:1", "HASS_TOKEN": PLACEHOLDER}),
    "minimax-mcp": ("minimax", "minimax-mcp", [], {"MINIMAX_API_KEY": PLACEHOLDER,
                                                   "MINIMAX_API_HOST": "https://api.minimax.io",
                                                   "MINIMAX_MCP_BASE_PATH": "{tmp}"}),
    "mcp<2 mcp-text-editor": ("text-editor", "mcp-text-editor", [], {}),
    "mcp<2 pydantic-settings mcp-simple-pubmed": ("pubmed", "mcp-simple-pubmed", [], {"PUBMED_EMAIL": "placeholder@example.com"}),
    "mcp<2 paper-search-mcp": ("paper-search", "paper-search-mcp", [], {}),
    "mcp<2 bibtexparser<2 mcp-scholarly": ("scholarly", "mcp-scholarly", [], {}),
    "mcp<2 chronulus-mcp": ("chronulus", "chronulus-mcp", [], {"CHRONULUS_API_KEY": PLACEHOLDER}),
}

HELDOUT4_NPM = {  # a fourth held-out set, listed before any was installed (bench/NOTES.md); same shape as NPM
    "@posthog/mcp": ("posthog", [], {"POSTHOG_AUTH_HEADER": f"Bearer {PLACEHOLDER}", "POSTHOG_API_KEY": PLACEHOLDER}),
    "@digitalocean/mcp": ("digitalocean", [], {"DIGITALOCEAN_API_TOKEN": PLACEHOLDER}),
    "@zilliz/claude-context-mcp": ("claude-context", [], {"OPENAI_API_KEY": PLACEHOLDER,
                                                         "MILVUS_TOKEN": PLACEHOLDER, "MILVUS_ADDRESS": "127.0.0.1:1"}),
    "@datastax/astra-db-mcp": ("astra-db", [], {"ASTRA_DB_APPLICATION_TOKEN": PLACEHOLDER,
                                                "ASTRA_DB_API_ENDPOINT": "https://placeholder.apps.astra.datastax.com"}),
    "mcp-discord": ("discord", [], {"DISCORD_TOKEN": PLACEHOLDER}),
    "@google-cloud/gcloud-mcp": ("gcloud", [], {}),
    "jina-mcp-tools": ("jina", [], {"JINA_API_KEY": PLACEHOLDER}),
}
HELDOUT4_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "mcp<2 spotify-mcp-server": ("spotify", "spotify-mcp-server", [], {"SPOTIFY_CLIENT_ID": PLACEHOLDER,
                                                                "SPOTIFY_CLIENT_SECRET": PLACEHOLDER}),
    "mcp<2 trello-mcp": ("trello", "trello-mcp", [], {"TRELLO_API_KEY": PLACEHOLDER, "TRELLO_TOKEN": PLACEHOLDER}),
    "gmail-mcp": ("gmail", "gmail-mcp", [], {}),
    "mcp-server-outlook": ("outlook", "mcp-server-outlook", [], {}),
    "mcp<2 mcp-server-medium": ("medium", "mcp-server-medium", [], {}),
    "twitter-mcp": ("twitter", "twitter-mcp", [], {"CONSUMER_KEY": PLACEHOLDER, "CONSUMER_SECRET": PLACEHOLDER,
                                                  "ACCESS_TOKEN": PLACEHOLDER, "ACCESS_TOKEN_SECRET": PLACEHOLDER}),
    "mcp<2 mcp-openweather": ("openweather", "mcp-openweather", [], {"OPENWEATHER_API_KEY": PLACEHOLDER}),
    "mcp<2 mcp-server-rss": ("rss", "mcp-server-rss", [], {}),
    "mcp-server-ssh": ("ssh", "mcp-server-ssh", [], {}),
    "s3-mcp": ("s3", "s3-mcp", [], {"AWS_ACCESS_KEY_ID": PLACEHOLDER, "AWS_SECRET_ACCESS_KEY": PLACEHOLDER,
                                    "AWS_REGION": "us-east-1"}),
    "fastmcp<3 kafka-mcp": ("kafka", "kafka-mcp", [], {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}),
    "mcp<2 influxdb-mcp": ("influxdb", "influxdb-mcp", [], {"INFLUXDB_URL": "http://127.0.0.1:1",
                                                     "INFLUXDB_TOKEN": PLACEHOLDER}),
    "prometheus-mcp": ("prometheus", "prometheus-mcp", [], {"PROMETHEUS_URL": "http://127.0.0.1:1"}),
    "mcp-server-jaeger": ("jaeger", "mcp-server-jaeger", [], {"JAEGER_URL": "http://127.0.0.1:1"}),
}

HELDOUT5_NPM = {  # a fifth held-out set, listed before any was installed (bench/NOTES.md, protocol D)
    "@gongrzhe/server-gmail-autoauth-mcp": ("gmail-autoauth", [], {}),
    "@larksuiteoapi/lark-mcp": ("lark", ["mcp", "-a", "cli_placeholder", "-s", PLACEHOLDER], {}),
    "@baidumap/mcp-server-baidu-map": ("baidu-map", [], {"BAIDU_MAP_API_KEY": PLACEHOLDER}),
    "@moralisweb3/api-mcp-server": ("moralis", [], {"MORALIS_API_KEY": PLACEHOLDER}),
    "webflow-mcp-server": ("webflow", [], {"WEBFLOW_TOKEN": PLACEHOLDER}),
    "@bitwarden/mcp-server": ("bitwarden", [], {"BW_SESSION": PLACEHOLDER}),
    "docker-mcp": ("docker", [], {}),
}
_AWS = {"AWS_ACCESS_KEY_ID": PLACEHOLDER, "AWS_SECRET_ACCESS_KEY": PLACEHOLDER, "AWS_REGION": "us-east-1",
        "FASTMCP_LOG_LEVEL": "ERROR"}


def _awslabs(servers: dict[str, str]) -> dict[str, tuple[str, str, list[str], dict[str, str]]]:
    """AWS's own servers (package: server name): each started by its package's command, placeholder keys."""
    return {package: (name, package, [], _AWS) for package, name in servers.items()}


HELDOUT5_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    **_awslabs({
        "awslabs.cloudwatch-mcp-server": "aws-cloudwatch",
        "awslabs.eks-mcp-server": "aws-eks",
        "awslabs.iam-mcp-server": "aws-iam",
        "awslabs.amazon-sns-sqs-mcp-server": "aws-sns-sqs",
        "awslabs.aws-support-mcp-server": "aws-support",
        "awslabs.aws-location-mcp-server": "aws-location",
    }),
    "mcp-neo4j-memory": ("neo4j-memory", "mcp-neo4j-memory", [], {"NEO4J_URL": "bolt://127.0.0.1:1",
                                                                  "NEO4J_PASSWORD": PLACEHOLDER}),
    "mcp-neo4j-data-modeling": ("neo4j-data-modeling", "mcp-neo4j-data-modeling", [], {}),
    "mcp<2 microsoft_sql_server_mcp": ("mssql", "mssql_mcp_server", [], {"MSSQL_SERVER": "127.0.0.1", "MSSQL_USER": "x",
                                                                   "MSSQL_PASSWORD": PLACEHOLDER,
                                                                   "MSSQL_DATABASE": "x"}),
    "fastmcp<3 mcp-server-starrocks": ("starrocks", "mcp-server-starrocks", [], {"STARROCKS_HOST": "127.0.0.1"}),
    "mcp<2 mcp-telegram": ("telegram", "mcp-telegram", ["start"], {"API_ID": "1", "API_HASH": PLACEHOLDER}),
    "mcp-grafana": ("grafana", "mcp-grafana", [], {"GRAFANA_URL": "http://127.0.0.1:1",
                                                  "GRAFANA_API_KEY": PLACEHOLDER}),
    "mcp-jenkins": ("jenkins", "mcp-jenkins", [], {"JENKINS_URL": "http://127.0.0.1:1", "JENKINS_USERNAME": "x",
                                                  "JENKINS_PASSWORD": PLACEHOLDER}),
    "comfyui-mcp": ("comfyui", "comfyui-mcp", [], {"COMFYUI_HOST": "127.0.0.1"}),
    "mcp-server-iris": ("iris", "mcp-server-iris", [], {"IRIS_HOSTNAME": "127.0.0.1"}),
    "databricks-mcp": ("databricks", "databricks-mcp", [], {"DATABRICKS_HOST": "https://placeholder.databricks.com",
                                                           "DATABRICKS_TOKEN": PLACEHOLDER}),
    "mcp<2 hackernews-mcp": ("hackernews", "hackernews-mcp", [], {}),
    "mcp<2 mcp-server-matrix": ("matrix", "mcp-server-matrix", [], {"MATRIX_HOMESERVER": "http://127.0.0.1:1",
                                                             "MATRIX_ACCESS_TOKEN": PLACEHOLDER}),
    "nextcloud-mcp-server": ("nextcloud", "nextcloud-mcp-server", ["run"], {
        "NEXTCLOUD_HOST": "http://127.0.0.1:1", "NEXTCLOUD_USERNAME": "x", "NEXTCLOUD_PASSWORD": PLACEHOLDER}),
    "mcp<2 anki-mcp": ("anki", "anki-mcp", [], {}),
    "office-word-mcp-server": ("word", "word_mcp_server", [], {}),
    "mcp<2 office-powerpoint-mcp-server": ("powerpoint", "ppt_mcp_server", [], {}),
}

HELDOUT6_NPM: dict[str, tuple[str, list[str], dict[str, str]]] = {}  # a sixth held-out set (protocol E): Python only
HELDOUT6_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    **_awslabs({
        "awslabs.ecs-mcp-server": "aws-ecs",
        "awslabs.aws-api-mcp-server": "aws-api",
        "awslabs.s3-tables-mcp-server": "aws-s3-tables",
        "awslabs.lambda-tool-mcp-server": "aws-lambda-tool",
        "awslabs.stepfunctions-tool-mcp-server": "aws-stepfunctions",
        "awslabs.billing-cost-management-mcp-server": "aws-billing",
        "awslabs.cloudtrail-mcp-server": "aws-cloudtrail",
        "awslabs.documentdb-mcp-server": "aws-documentdb",
        "awslabs.elasticache-mcp-server": "aws-elasticache",
        "awslabs.aurora-dsql-mcp-server": "aws-aurora-dsql",
        "awslabs.redshift-mcp-server": "aws-redshift",
        "awslabs.amazon-mq-mcp-server": "aws-mq",
        "awslabs.aws-healthomics-mcp-server": "aws-healthomics",
        "awslabs.memcached-mcp-server": "aws-memcached",
        "awslabs.amazon-neptune-mcp-server": "aws-neptune",
        "awslabs.amazon-keyspaces-mcp-server": "aws-keyspaces",
        "awslabs.aws-appsync-mcp-server": "aws-appsync",
        "awslabs.aws-dataprocessing-mcp-server": "aws-dataprocessing",
        "awslabs.well-architected-security-mcp-server": "aws-well-architected",
    }),
    "mcp-neo4j-aura-manager": ("neo4j-aura", "mcp-neo4j-aura-manager", [], {"NEO4J_AURA_CLIENT_ID": PLACEHOLDER,
                                                                          "NEO4J_AURA_CLIENT_SECRET": PLACEHOLDER}),
}

_NOWHERE = "http://127.0.0.1:1"
"""A service URL no server can reach: listing tools needs none."""
HELDOUT7_NPM = {  # a seventh held-out set (protocol G), listed before any was installed; read since
    "opik-mcp": ("opik", [], {"OPIK_API_KEY": PLACEHOLDER, "OPIK_API_BASE_URL": _NOWHERE}),
    "@commercetools/mcp-essentials": ("commercetools", [], {}),
    "@vonage/vonage-mcp-server-api-bindings": ("vonage", [], {"VONAGE_API_KEY": "x",
                                                               "VONAGE_API_SECRET": PLACEHOLDER}),
    "@automattic/mcp-wordpress-remote": ("wordpress", [], {"WP_API_URL": _NOWHERE}),
    "@jpisnice/shadcn-ui-mcp-server": ("shadcn-ui", [], {}),
    "@heroui/react-mcp": ("heroui", [], {}),
    "@mcp-get-community/server-curl": ("curl", [], {}),
    "@mcp-get-community/server-llm-txt": ("llm-txt", [], {}),
    "@openzeppelin/contracts-mcp": ("openzeppelin", [], {}),
    "@bankless/onchain-mcp": ("bankless", [], {"BANKLESS_API_TOKEN": PLACEHOLDER}),
}
HELDOUT7_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "meilisearch-mcp": ("meilisearch", "meilisearch-mcp", [], {"MEILI_HTTP_ADDR": _NOWHERE}),
    "mcp<2 mcp-search-linkup": ("linkup", "mcp-search-linkup", [], {"LINKUP_API_KEY": PLACEHOLDER}),
    "workspace-mcp": ("google-workspace", "workspace-mcp", [], {"GOOGLE_OAUTH_CLIENT_ID": "x",
                                                               "GOOGLE_OAUTH_CLIENT_SECRET": PLACEHOLDER}),
    "wandb-mcp-server": ("wandb", "wandb-mcp-server", [], {}),
    "langfuse-mcp": ("langfuse", "langfuse-mcp", [], {"LANGFUSE_PUBLIC_KEY": "x", "LANGFUSE_SECRET_KEY": PLACEHOLDER,
                                                     "LANGFUSE_HOST": _NOWHERE}),
    "mcp-logseq": ("logseq", "mcp-logseq", [], {"LOGSEQ_API_TOKEN": PLACEHOLDER}),
    "mcp-server-mattermost": ("mattermost", "mcp-server-mattermost", [], {
        "MATTERMOST_URL": _NOWHERE, "MATTERMOST_TOKEN": PLACEHOLDER}),
    "selenium-mcp-server": ("selenium", "selenium-mcp-server", [], {}),
    "airflow-mcp-server": ("airflow", "airflow-mcp-server", [], {"AIRFLOW_BASE_URL": _NOWHERE,
                                                                "AUTH_TOKEN": PLACEHOLDER}),
    "mlflow-mcp": ("mlflow", "mlflow-mcp", [], {"MLFLOW_TRACKING_URI": _NOWHERE}),
    "mcp<2 prefect-mcp-server": ("prefect", "prefect-mcp-server", [], {"PREFECT_API_URL": f"{_NOWHERE}/api"}),
    "mcp<2 imdb-mcp": ("imdb", "imdb-mcp", [], {}),
    "mcp-server-steam": ("steam", "mcp-server-steam", [], {"STEAM_API_KEY": PLACEHOLDER}),
}

HELDOUT8_NPM: dict[str, tuple[str, list[str], dict[str, str]]] = {}  # an eighth held-out set (protocol H)
HELDOUT8_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "mcp<2 mcp-zendesk": ("zendesk", "mcp-zendesk", [], {"ZENDESK_BASE_URL": _NOWHERE, "ZENDESK_EMAIL": "x@example.com",
                                                   "ZENDESK_API_TOKEN": PLACEHOLDER}),
    "mcp<2 pipedrive-mcp": ("pipedrive", "pipedrive-mcp", [], {"PIPEDRIVE_API_KEY": PLACEHOLDER}),
    "mcp<2 mcp-woocommerce": ("woocommerce", "mcp-woocommerce", [], {"WOOCOMMERCE_URL": _NOWHERE, "WOOCOMMERCE_KEY": "x",
                                                               "WOOCOMMERCE_SECRET": PLACEHOLDER}),
    "mcp<2 quickbooks-mcp": ("quickbooks", "quickbooks-mcp", [], {"QBO_CLIENT_ID": "x", "QBO_CLIENT_SECRET": PLACEHOLDER,
                                                            "QBO_REALM_ID": "1", "QBO_SANDBOX": "true"}),
    "mcp-server-odoo": ("odoo", "mcp-server-odoo", [], {"ODOO_URL": _NOWHERE, "ODOO_DB": "x",
                                                        "ODOO_API_KEY": PLACEHOLDER}),
    "mcp<2 clickup-mcp": ("clickup", "clickup-mcp", [], {"CLICKUP_API_TOKEN": PLACEHOLDER}),
    "mcp<2 smartsheet-mcp": ("smartsheet", "smartsheet-mcp", [], {"SMARTSHEET_ACCESS_TOKEN": PLACEHOLDER}),
    "mcp-server-grist": ("grist", "mcp-server-grist", [], {"GRIST_API_KEY": PLACEHOLDER, "GRIST_API_HOST": _NOWHERE}),
    "mcp-coda": ("coda", "mcp-coda", [], {"CODA_API_TOKEN": PLACEHOLDER}),
    "mcp-outline": ("outline", "mcp-outline", [], {"OUTLINE_API_KEY": PLACEHOLDER, "OUTLINE_API_URL": _NOWHERE}),
    "mcp<2 mcp-server-wikijs": ("wikijs", "mcp-server-wikijs", [], {"WIKIJS_URL": _NOWHERE, "WIKIJS_TOKEN": PLACEHOLDER}),
    "gitea-mcp": ("gitea", "gitea-mcp", [], {"GITEA_URL": _NOWHERE, "GITEA_TOKEN": PLACEHOLDER}),
    "sonarqube-mcp": ("sonarqube", "sonarqube-mcp", [], {"SONARQUBE_URL": _NOWHERE, "SONARQUBE_TOKEN": PLACEHOLDER}),
    "mcp<2 newrelic-mcp": ("newrelic", "newrelic-mcp", [], {"NEW_RELIC_API_KEY": PLACEHOLDER, "NEW_RELIC_ACCOUNT_ID": "1"}),
    "mcp-server-splunk": ("splunk", "mcp-server-splunk", [], {"SPLUNK_HOST": "127.0.0.1", "SPLUNK_TOKEN": PLACEHOLDER}),
    "mcp<2 mcp-server-helm": ("helm", "mcp-server-helm", [], {}),
    "zabbix-mcp": ("zabbix", "zabbix-mcp", [], {"ZABBIX_URL": _NOWHERE, "ZABBIX_PASSWORD": PLACEHOLDER}),
}

HELDOUT9_NPM: dict[str, tuple[str, list[str], dict[str, str]]] = {}  # a ninth held-out set, measured once
HELDOUT9_PYTHON: dict[str, tuple[str, str, list[str], dict[str, str]]] = {
    "trino-mcp": ("trino", "trino-mcp", [], {"TRINO_HOST": "https://127.0.0.1:1", "TRINO_USER": "x", "TRINO_PASSWORD": PLACEHOLDER}),
    "presto-mcp": ("presto", "presto-mcp", [], {"PRESTO_DATA_DIR": "{tmp}"}),
    "mcp<2 mcp-oracle": ("oracle", "mcp-oracle", [], {"ORACLE_DSN": "127.0.0.1:1/x", "ORACLE_USER": "x",
                                                      "ORACLE_PASSWORD": PLACEHOLDER}),
    "teradata-mcp-server": ("teradata", "teradata-mcp-server", [], {"DATABASE_URI": "teradata://x:y@127.0.0.1:1/x"}),
    "mcp<2 temporal-mcp": ("temporal", "temporal-mcp", [], {}),
    "mcp<2 calendly-mcp": ("calendly", "calendly-mcp", [], {"CALENDLY_ACCESS_TOKEN": PLACEHOLDER}),
    "mcp<2 nasa-mcp": ("nasa", "nasa_mcp", [], {"NASA_API_KEY": PLACEHOLDER}),
    "fpl-mcp": ("fpl", "fpl-mcp", [], {}),
    "mcp<2 mcp-chess": ("chess", "mcp-chess", [], {}),
}

PYTHON = {  # requirement: (server name, console script, extra args, extra environment)
    "mcp-server-time": ("time", "mcp-server-time", [], {}),
    "mcp-server-git": ("git", "mcp-server-git", [], {}),
    "mcp-server-fetch": ("fetch", "mcp-server-fetch", [], {}),
    "mcp<2 mcp-server-sqlite": ("sqlite", "mcp-server-sqlite", ["--db-path", "{tmp}/x.db"], {}),
    "awslabs.aws-documentation-mcp-server": ("aws-documentation", "awslabs.aws-documentation-mcp-server",
                                             [], {}),
    "mcp-neo4j-cypher": ("neo4j-cypher", "mcp-neo4j-cypher", [], {"NEO4J_URI": "bolt://127.0.0.1:1"}),
    "arxiv-mcp-server": ("arxiv", "arxiv-mcp-server", ["--storage-path", "{tmp}"], {}),
    "mcp-clickhouse": ("clickhouse", "mcp-clickhouse", [], {
        "CLICKHOUSE_HOST": "127.0.0.1", "CLICKHOUSE_USER": "x", "CLICKHOUSE_PASSWORD": "x"}),
    "mcp-atlassian": ("atlassian", "mcp-atlassian", [], {
        "JIRA_URL": "https://example.atlassian.net", "JIRA_USERNAME": "user@example.com",
        "JIRA_API_TOKEN": PLACEHOLDER, "CONFLUENCE_URL": "https://example.atlassian.net/wiki",
        "CONFLUENCE_USERNAME": "user@example.com", "CONFLUENCE_API_TOKEN": PLACEHOLDER}),
    "mcp-obsidian": ("obsidian", "mcp-obsidian", [], {"OBSIDIAN_API_KEY": PLACEHOLDER}),
}


def _own_folder(folder: Path, package: str) -> Path:
    """The folder an npm package is installed into on its own."""
    return folder / "solo" / package.replace("/", "+")


def _package_dir(folder: Path, package: str) -> Path:
    """Where an npm package lies: in the shared folder, or in a folder of its own."""
    shared = folder / "node_modules" / package
    if (shared / "package.json").exists():
        return shared
    return _own_folder(folder, package) / "node_modules" / package


def _install_npm(folder: Path, packages: dict[str, Any]) -> None:
    """Each missing package into a folder of its own: npm resolves a whole folder on every install,
    so adding to one large folder takes many minutes a package, and a failure stops nothing else."""
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1", "PUPPETEER_SKIP_CHROMIUM_DOWNLOAD": "1"}
    for package in packages:
        target = _package_dir(folder, package)
        if (target / "package.json").exists():
            continue
        home = _own_folder(folder, package)
        home.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", package],
                              cwd=home, env=env, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode:
            print(f"npm install {package} failed: {done.stderr[-300:]}", file=sys.stderr)


def _install_python(folder: Path, requirements: dict[str, Any]) -> dict[str, Path]:
    bins = {}
    for requirement, (name, script, _, _) in requirements.items():
        venv = folder / f"py-{name}"
        if not (venv / "bin" / script).exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *requirement.split()],
                                  capture_output=True, text=True, timeout=900, check=False)
            if done.returncode:
                print(f"pip install {requirement} failed: {done.stderr[-300:]}", file=sys.stderr)
                continue
        bins[requirement] = venv / "bin" / script
    return bins


def _version(folder: Path, package: str) -> str:
    try:
        return json.loads((_package_dir(folder, package) / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "?"


async def _list(params: StdioServerParameters) -> list[dict]:
    async def go() -> list[dict]:
        async with Client(params, mode="auto") as client:
            listed = await client.list_tools()
            return [{"name": t.name, "description": t.description or "",
                     "input_schema": t.input_schema or {}} for t in listed.tools]

    return await asyncio.wait_for(go(), timeout=60)


async def collect(cache: Path, npm_packages: dict[str, Any], python: dict[str, Any]) -> list[dict]:
    """Every tool of every server that installed and listed its tools."""
    npm, rows = cache / "npm", []
    _install_npm(npm, npm_packages)
    pythons = _install_python(cache, python)
    with tempfile.TemporaryDirectory() as tmp:
        targets = []
        for package, (name, args, env) in npm_packages.items():
            entry = _package_dir(npm, package) / "package.json"
            if not entry.exists():
                continue
            bins = json.loads(entry.read_text()).get("bin")
            script = bins if isinstance(bins, str) else next(iter((bins or {}).values()), None)
            if script is None:
                continue
            command = ["node", str(entry.parent / script), *(a.format(tmp=tmp) for a in args)]
            targets.append((name, package, _version(npm, package), command,
                            {k: v.format(tmp=tmp) for k, v in env.items()}))
        for requirement, path in pythons.items():
            name, _, args, env = python[requirement]
            version = subprocess.run([str(path.parent / "pip"), "show", requirement.split()[-1]],
                                     capture_output=True, text=True, check=False).stdout
            version = next((line.split()[-1] for line in version.splitlines()
                            if line.startswith("Version")), "?")
            command = [str(path), *(a.format(tmp=tmp) for a in args)]
            targets.append((name, requirement.split()[-1], version, command,
                            {k: v.format(tmp=tmp) for k, v in env.items()}))
        for name, package, version, command, env in targets:
            params = StdioServerParameters(command=command[0], args=command[1:],
                                           env={"PATH": os.environ["PATH"], "HOME": tmp, **env})
            try:
                tools = await _list(params)
            except BaseException as exc:  # noqa: BLE001 - a broken server is reported, not fatal
                problem = f"{type(exc).__name__}: {str(exc)[:200]}"
                print(f"{name}: could not list tools ({problem})", file=sys.stderr)
                continue
            print(f"{name} {version}: {len(tools)} tools", file=sys.stderr)
            rows += [{"source": "server", "server": name, "package": package, "version": version, **t}
                     for t in tools]
    return rows


SETS = {"train": (NPM, PYTHON, "clean_server_tools.jsonl"),
        "heldout": (HELDOUT_NPM, HELDOUT_PYTHON, "clean_server_tools_heldout.jsonl"),
        "heldout2": (HELDOUT2_NPM, HELDOUT2_PYTHON, "clean_server_tools_heldout2.jsonl"),
        "heldout3": (HELDOUT3_NPM, HELDOUT3_PYTHON, "clean_server_tools_heldout3.jsonl"),
        "heldout4": (HELDOUT4_NPM, HELDOUT4_PYTHON, "clean_server_tools_heldout4.jsonl"),
        "heldout5": (HELDOUT5_NPM, HELDOUT5_PYTHON, "clean_server_tools_heldout5.jsonl"),
        "heldout6": (HELDOUT6_NPM, HELDOUT6_PYTHON, "clean_server_tools_heldout6.jsonl"),
        "heldout7": (HELDOUT7_NPM, HELDOUT7_PYTHON, "clean_server_tools_heldout7.jsonl"),
        "heldout8": (HELDOUT8_NPM, HELDOUT8_PYTHON, "clean_server_tools_heldout8.jsonl"),
        "heldout9": (HELDOUT9_NPM, HELDOUT9_PYTHON, "clean_server_tools_heldout9.jsonl")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "intentlens" / "scan-servers")
    parser.add_argument("--set", choices=list(SETS), default="train")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    npm, python, file = SETS[args.set]
    out = args.out or ROOT / "bench" / "data" / file
    rows = asyncio.run(collect(args.cache, npm, python))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    servers = sorted({r["server"] for r in rows})
    print(f"wrote {len(rows)} tools of {len(servers)} servers to {out}")


if __name__ == "__main__":
    main()
