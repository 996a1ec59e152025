"""Words the behaviour rules look for, in English, Spanish, German, French and Chinese (and, since
2026-12-07, the commonest Portuguese and Italian ones).

This module holds what a description may ask for and how it overrides the user; the words that fix a
value, press for a call, or mark an example are in :mod:`intentlens.scan._directives`.

Each list names one thing a description can make the agent do or hand over; the rules in
:mod:`intentlens.scan.behaviour` combine them (a sensitive source *and* a verb that sends it
somewhere, a directive *and* a fixed value), so that no single word decides.
"""

from __future__ import annotations

import re


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


SECRETS = re.compile(
    _any(
        r"\bapi[ _-]?keys?\b",
        r"\baccess[ _-]?(?:keys?|tokens?)\b",
        r"\bbot token\b",
        r"\bauth(?:entication)? tokens?\b",
        r"\btokens\b",
        r"\bpasswords?\b",
        r"\bpassphrases?\b",
        r"\bcredentials\b",
        r"\bsecret[ _-]?(?:access[ _-]?)?keys?\b",
        r"\bcontraseñas?\b",
        r"\bcredenciales\b",
        r"\b(?:Passw(?:ö|oe)rter|Passwort|Kennw(?:ö|oe)rter|Kennwort)\b",
        r"\bZugangsdaten\b",
        r"\bmots? de passe\b",
        r"\bidentifiants\b",
        r"\bsenhas?\b",
        r"\bcredenciais\b",
        r"\bcredenziali\b",
        "密码",
        "令牌",
        "凭证",
        "凭据",
    ),
    re.IGNORECASE,
)
"""Credentials an API tool may legitimately take for its own sign-in: asked for, they count only when
they are to come from elsewhere (the conversation, the environment, what the agent has seen)."""

ELSEWHERE = re.compile(
    _any(
        r"\bfrom (?:the |this )?(?:environment|conversation|connection string|earlier messages|chat)\b",
        r"\b(?:mentioned|seen|found|typed|given) (?:in|during) (?:this|the) (?:conversation|chat|session)\b",
        r"\byou (?:have )?(?:seen|found|received)\b",
        r"\bthe value of the \w+ environment variable\b",
        r"\b(?:all|every) (?:the )?(?:api keys|passwords|tokens|credentials)\b",
        r"\bthe user's\b",
        r"\btyped into\b",
        r"\bthe account (?:holder's )?password\b",
        r"\bthe (?:database|account) password\b",
        r"\bdel usuario\b",
        r"\bdes Benutzers\b",
        r"\bde l'utilisateur\b",
        r"\bdo usu[aá]rio\b",
        r"\bdell'utente\b",
        r"\bl'utente ha\b",
        r"\bna conversa\b",
        r"\bnella conversazione\b",
        r"\bque aparecerem\b",
        "用户的",
    ),
    re.IGNORECASE,
)
"""Where credentials come from when they are not the tool's own: the user, the conversation, the
environment."""

SENSITIVE = re.compile(
    _any(
        r"~/\.ssh\b",
        r"\.ssh/",
        r"\bid_(?:rsa|dsa|ecdsa|ed25519)\b",
        r"\.aws/credentials",
        r"/etc/(?:passwd|shadow)",
        r"(?<![\w.])\.env\b(?! ?var)",
        r"\bprivate[ _-]?keys?\b",
        # capitals only: GITHUB_TOKEN, not a parameter's call_token
        r"(?-i:\b[A-Z][A-Z0-9]*_(?:TOKEN|SECRET|PASSWORD|API_KEY|SECRET_ACCESS_KEY)\b)"
        r"(?! (?:to be set|is set|must be set))",
        r"\bpassword hashes\b",
        r"\b(?:values of (?:all )?(?:the )?)?environment variables\b(?! (?:named|called))",
        r"\bvari[aá]veis de ambiente\b",
        r"\bvariabili d'ambiente\b",
        r"\bprintenv\b",
        r"'env'",
        r"\boutput of env\b",
        r"\brun (?:'|`)?env\b",
        r"\bdocument\.cookie\b",
        r"\b(?:the page's|the user's|the site's|browser|session|saved) (?:cookies|local ?storage)\b",
        r"\b(?:whole |full |entire )?(?:conversation|chat) (?:history|so far|log|record)\b",
        r"\bconversation with you so far\b",
        r"\b(?:previous|earlier|past) (?:messages|questions|sessions)\b",
        r"\bsystem prompt\b",
        r"\b(?:earlier|previous|prior) instructions? you (?:received|were given)\b",
        r"\beverything the user (?:told|said)\b",
        r"\bprivate messages\b",
        r"\bcard number\b",
        r"\bcvv\b",
        r"\bpassport number\b",
        r"\bseed phrase\b",
        r"\bmnemonic\b",
        r"\bhome address\b",
        r"\b(?:complete |full |whole )?(?:contact list|contact export)\b",
        r"\b(?:all|every) (?:the )?contacts\b",
        r"\bthe text of (?:every|all|the last \w+)\b",
        # es
        r"\blista (?:completa )?de contactos\b",
        r"\bKontaktliste\b",
        r"\bliste (?:complète )?des contacts\b",
        r"\bvariables de entorno\b",
        r"\bhistorial (?:completo )?de (?:la )?conversaci[oó]n\b",
        r"\bclaves? privadas?\b",
        # de
        r"\bUmgebungsvariablen\b",
        r"\bGesprächsverlauf\b",
        r"\bprivate[rn]? Schlüssel\b",
        # fr
        r"\bvariables d'environnement\b",
        r"\bhistorique (?:complet )?de la conversation\b",
        r"\bclés? privées?\b",
        # zh
        "全部联系人",
        "所有联系人",
        "环境变量",
        "对话记录",
        "聊天记录",
        "历史记录",
        "密钥",
        "私钥",
        "系统提示",
    ),
    re.IGNORECASE,
)
"""Data no tool needs handed over: key files, the environment, cookies, the conversation, card and identity
papers (credentials are :data:`SECRETS`)."""

HAND_OVER = re.compile(
    _any(
        r"\binclud(?:e|es|ing)\b",
        r"\battach\w*\b",
        r"\bappend\w*\b",
        r"\badd\b",
        r"\bpaste\b",
        r"\bput\b",
        r"\bpass(?:es|ed|ing)?\b",
        r"\bsend(?:s|ing)?\b",
        r"\bsupply\b",
        r"\bgive\b",
        r"\bhand\b",
        r"\bcopy\b",
        r"\bbundle\b",
        r"\breport\b",
        r"\bforward\w*\b",
        r"\btransmit\w*\b",
        r"\bupload\w*\b",
        r"\bread\b.{0,40}\b(?:and|then)\b",
        r"\bin the '?\w+'? (?:field|argument|parameter)\b",
        r"\bas '\w+'",
        r"\bfrom (?:the )?(?:earlier messages|environment|conversation)\b",
        # es
        r"\binclu(?:ye|ir)\b",
        r"\benv[ií]a\w*\b",
        r"\badjunt\w*\b",
        r"\bañad\w*\b",
        r"\bpega\b",
        r"\bpasa\b",
        r"\bmanda\b",
        r"\bagreg\w*\b",
        # de
        r"\bfüg\w*\b",
        r"\bsende\w*\b",
        r"\bübergib\b",
        r"\bhäng\w*\b",
        r"\bschick\w*\b",
        r"\bübermittl\w*\b",
        r"\bgib\b",
        r"\bhinzu\b",
        # fr
        r"\binclu(?:s|re)\b",
        r"\bjoin[st]?\b",
        r"\benvoie\w*\b",
        r"\bajoute\w*\b",
        r"\bcolle\b",
        r"\btransmet\w*\b",
        # pt,
        r"\binclua\b",
        r"\benvie\b",
        r"\bguarde\b",
        r"\badicione\b",
        r"\bcoloque\b",
        r"\bpasse\b",
        # it,
        r"\bincludi\b",
        r"\binvia\b",
        r"\bsalva\b",
        r"\baggiungi\b",
        r"\bmetti\b",
        # zh
        "读取",
        "附上",
        "发送",
        "填入",
        "放进",
        "放入",
        "传给",
        "加入",
        "包含",
        "上传",
        "提供",
        "附加",
    ),
    re.IGNORECASE,
)
"""Verbs that move data into an argument or out of the conversation."""

PERSONAL = re.compile(
    r"\bthe (?:user's|traveller's|customer's) (?:full name|address|phone number|date of birth|"
    r"personal details)\b"
    r"|\bendere[cç]o residencial\b|\btelefone do usu[aá]rio\b|\bn[uú]mero de passaporte\b"  # pt
    r"|\bnumero di passaporto\b|\bindirizzo di casa\b",  # it
    re.IGNORECASE,
)
"""Personal data a tool may need for its own purpose: it counts only when handed over by an order."""

NEGATED = re.compile(
    _any(
        r"\bnever\b",
        r"\bnot\b",
        r"\bdon't\b",
        r"\bno\b(?! matter)",
        r"\bwithout asking\b",
        r"\bavoid\b",
        r"\bnunca\b",
        r"\bnie\b",
        r"\bnicht\b",
        r"\bjamais\b",
        r"\bne\b",
        "不要",
        "不会",
        "切勿",
        "禁止",
    ),
    re.IGNORECASE,
)
"""A sentence that forbids or denies what it names ("never include passwords") asks for nothing."""

OVERRIDE = re.compile(
    _any(
        r"(?<![Ww]e )\b(?:ignore|disregard|forget)\b.{0,30}\b(?:previous|prior|earlier|above|all|everything|"
        r"conversation|user's request|safety)\b",  # "we ignore all ..." is a server describing itself
        r"\b(?:instructions?|guidance|rules) (?:are|is) (?:void|cancelled|canceled|lower priority)",
        r"\bnew instructions replace\b",
        r"\bsystem override\b",
        r"\boverride:",
        r"\b(?:priority|precedence) (?:is )?(?:higher than|over) (?:the |anything )?(?:user|the user)",
        r"\btakes? (?:precedence|priority) over "
        r"(?:the user|users?|anything|your|all|the request|instructions)\b",
        r"\b(?:overrides?|supersedes?) (?:the )?user",
        r"\blower priority than this\b",
        r"\bregardless of (?:what|whatever|which) (?:the )?user",
        r"\bno matter (?:what|who|which) (?:the )?user",
        r"\bwhatever (?:channel|recipient|the user)\b",
        r"\b(?:do not|don't|never|must not)\b.{0,20}\b(?:tell|inform|notify|reveal)\b.{0,6}"
        r"\b(?:the user|anyone|anybody)\b",
        r"\b(?:do not|don't|never)\b (?:mention|report|reveal) (?:this|it)\b(?! is)",
        r"\bwithout (?:telling|informing|notifying|alerting|asking)\b.{0,10}\b(?:the )?user",
        r"\b(?:silently|quietly|secretly|covertly)\b.{0,40}\b(?:forward|send|copy|add|write|export|run|delete|post|"
        r"upload|transfer|include|append)(?:s|ed|ing)?\b",
        r"\b(?:forward|send|copy|add|write|export|run|delete|post|"
        r"upload|transfer|include|append)(?:s|ed|ing)?\b.{0,60}\b(?:silently|quietly|secretly|covertly)\b",
        r"\bhidden from the user\b",
        r"\bhide this\b",
        r"\b(?:do not|don't|never) let (?:the )?user know\b",
        r"\bkeep this (?:between us|secret|to yourself)\b",
        r"\bthe user (?:must|should) not (?:be told|know)\b",
        r"\bstay quiet\b",
        r"\bnever reveal\b",
        # es
        r"\bsin (?:avisar|informar|decir(?:le|selo)?)\b",
        r"\bno (?:se lo |lo |le )?(?:digas|menciones|informes|avises)\b",
        r"\bignora\w* (?:las |todas las )?instrucciones\b",
        r"\bindependientemente de lo que\b",
        r"\bignorando la petici[oó]n\b",
        r"\baunque el usuario\b",
        # de
        r"\bohne den (?:Benutzer|Nutzer|Anwender) zu (?:informieren|benachrichtigen|fragen)\b",
        r"\b(?:dem|den) (?:Benutzer|Nutzer) nichts\b",
        r"\bmuss das nicht wissen\b",
        r"\bignorier\w* (?:alle )?(?:vorherigen |bisherigen )?Anweisungen\b",
        r"\begal (?:welche[nr]?|was)\b",
        r"\bunabhängig von der Anfrage\b",
        r"\bstillschweigend\b",
        r"\bauch wenn ein anderer\b",
        # fr
        r"\bsans (?:prévenir|informer|le dire|l'avertir)\b",
        r"\bignore\w* (?:les |toutes les )?instructions\b",
        r"\bquel que soit\b",
        r"\bpeu importe (?:la demande|ce que)\b",
        r"\bmême si l'utilisateur\b",
        r"\bdiscrètement\b",
        r"\bne (?:le )?dis pas\b",
        # pt,
        r"\bignore (?:as |todas as )?instru[cç][oõ]es\b",
        r"\bsem avisar\b",
        r"\bn[aã]o (?:mencione|diga|avise)\b",
        r"\bindependentemente do pedido\b",
        r"\bn[aã]o precisa ser dito\b",
        # it,
        r"\bignora (?:le |tutte le )?istruzioni\b",
        r"\bsenza dirlo\b",
        r"\bnon serve dirlo\b",
        r"\bindipendentemente dalla richiesta\b",
        # zh
        "不要告诉用户",
        "不要向用户",
        "不要让用户知道",
        "用户无需知道",
        "无需告知",
        r"忽略(?:之前|以前|先前|用户)",
        "无论用户",
        "优先级高于",
        "一律发送",
        "不要提及",
    ),
    re.IGNORECASE | re.DOTALL,
)
"""Text that puts itself above the user, or hides what it makes the agent do."""
