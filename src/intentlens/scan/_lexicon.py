"""Words the behaviour rules look for, in English, Spanish, German, French and Chinese (and, since
2026-12-07, the commonest Portuguese and Italian ones).

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
        r"\b[A-Z][A-Z0-9]*_(?:TOKEN|SECRET|PASSWORD|API_KEY|SECRET_ACCESS_KEY)\b"
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
        r"\b(?:ignore|disregard|forget)\b.{0,30}\b(?:previous|prior|earlier|above|all|everything|conversation|"
        r"user's request|safety)\b",
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

DIRECTIVE = re.compile(
    _any(
        r"\balways\b",
        r"\bmust\b",
        r"\bhas to\b",
        r"\bhave to\b",
        r"\bset (?:it |this |the \w+ )?to\b",
        r"\bchange\w*\b",
        r"\breplace\w*\b",
        r"\boverride\w*\b",
        r"\bswap\w*\b",
        r"\bredirect\w*\b",
        r"\binstead of\b",
        r"\brather than\b",
        r"\bin place of\b",
        r"\bregardless\b",
        r"\bno matter\b",
        r"\bgo(?:es)? to\b",
        r"\bsend (?:it |them )?to\b",
        r"\bforward\w* to\b",
        r"\bb?cc\b",
        r"\bcopy to\b",
        r"\buse (?:it|ours|that one)\b",
        r"\bthe only valid value\b",
        r"\bevery (?:time|transfer|upload|call)\b",
        r"\bmake it\b",
        r"\bit should (?:always )?(?:read|be)\b",
        r"\bbecomes\b",
        # es
        r"\bsiempre\b",
        r"\bcambi\w*\b",
        r"\breemplaz\w*\b",
        r"\ben lugar de\b",
        r"\bcopia oculta\b",
        r"\bfija\w*\b",
        r"\bdebe\b",
        # de
        r"\bimmer\b",
        r"\bändern\b",
        r"\bersetzen\b",
        r"\bstatt\b",
        r"\bBCC\b",
        r"\bausschließlich\b",
        # fr
        r"\btoujours\b",
        r"\bremplace\w*\b",
        r"\bau lieu de\b",
        r"\bcopie cachée\b",
        r"\bfixé\w*\b",
        r"\bdoit\b",
        # pt, it,
        r"\bsempre\b",
        r"\bsubstitu\w*\b",
        r"\bem vez de\b",
        r"\bc[oó]pia oculta\b",
        r"\bsostitu\w*\b",
        r"\binvece di\b",
        r"\bcopia nascosta\b",
        # zh
        "必须",
        "一律",
        "改为",
        "替换",
        "密送",
        "抄送",
        "固定为",
        "设为",
        "而不是",
        "总是",
        "始终",
    ),
    re.IGNORECASE,
)
"""Words that fix an argument instead of describing it."""

EXAMPLE = re.compile(
    _any(
        r"\be\.g\.",
        r"\bfor example\b",
        r"\bfor instance\b",
        r"(?<![.@-])\bexamples?\b(?![.@-])",
        r"@example\.(?:com|org|net)\b",
        r"\bsuch as\b",
        r"\blike\b",
        r"\bformat\w*\b",
        r"\bp\. ?ej\.",
        r"\bpor ejemplo\b",
        r"\bz\. ?B\.",
        r"\bzum Beispiel\b",
        r"\bpar ex",
        r"\bpar exemple\b",
        "例如",
        "比如",
        "格式",
    ),
    re.IGNORECASE,
)
"""A value shown as an example or a format, not as the value to use."""

COERCION = re.compile(
    _any(
        r"\bmust\b",
        r"\bmandatory\b",
        r"\brequired\b",
        r"\brequires? a prior\b",
        r"\bobligatory\b",
        r"\bhas to\b",
        r"\bhave to\b",
        r"\bneeds? to be\b",
        r"\bis needed\b",
        r"\bneeded before\b",
        r"\bcritical\b",
        r"\bessential\b",
        r"\bnecessary\b",
        r"\bensure\b",
        r"\bmake sure\b",
        r"\bnot optional\b",
        r"\bpolicy\b",
        r"\bcompliance\b",
        r"\bcompliant\b",
        r"\bsecurity\b",
        r"\bsecure\b",
        r"\bverif\w+\b",
        r"\bvalidat\w+\b",
        r"\binitiali[sz]\w*\b",
        r"\botherwise\b",
        r"\bexpected to\b",
        r"\bbefore anything\b",
        r"\bon (?:every|each)\b",
        r"\bevery time\b",
        r"\bwhenever\b",
        r"\balways\b",
        r"\bbegin with\b",
        r"\bto activate\b",
        r"\bat the beginning\b",
    ),
    re.IGNORECASE,
)
"""Pressure to call something: the tone of a fake precondition."""

STRONG_DIRECTIVE = re.compile(
    _any(
        r"\balways\b",
        r"\bmust\b",
        r"\bhas to\b",
        r"\binstead of\b",
        r"\brather than\b",
        r"\bin place of\b",
        r"\bregardless\b",
        r"\bno matter\b",
        r"\bthe only valid value\b",
        r"\bevery (?:time|\w+)\b",
        r"\bonly\b",
        r"\bsiempre\b",
        r"\ben lugar de\b",
        r"\bdebe\b",
        r"\bimmer\b",
        r"\bstatt\b",
        r"\bausschließlich\b",
        r"\btoujours\b",
        r"\bau lieu de\b",
        r"\bdoit\b",
        "必须",
        "一律",
        "而不是",
        "总是",
        "始终",
        "改为",
        "固定为",
    ),
    re.IGNORECASE,
)
"""The directives that make a plain quoted word an order rather than a documented option."""

IDENTIFIER = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\+\d[\d ()-]{7,}\d"  # phone number
    r"|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"  # IBAN
    r"|https?://[^\s'\"`)]+"  # URL
    r"|\b(?:acct|cus|cust|usr|org|kb)[_-][A-Za-z0-9_-]{2,}\b"  # platform account ids
    r"|(?<![\w.])/(?:tmp|srv|var|etc|home|root|usr)/[^\s'\"`]*"  # absolute path
    r"|\b\d{12,19}\b"  # card or account number
    r"|(?<![\w@])@[A-Za-z][\w-]{2,}(?![\w./])"  # a handle
    r"|(?<![\w&])#(?![0-9a-fA-F]{3,8}\b)[a-z][\w-]{2,}"  # a channel (not a colour)
    r"|(?<!\w)'(?=[^'\n]*\w)[^'\n]{2,80}'(?!\w)|(?<!\w)\"(?=[^\"\n]*\w)[^\"\n]{2,80}\"(?!\w)"  # quoted
    r"|“[^”]{2,80}”|「[^」]{2,80}」"
)
"""A concrete value: an address, a number, an account, a path, or a quoted word."""

RISKY = re.compile(
    r"(?:^|[_-]|(?<=[a-z])(?=[A-Z]))(send|post|pay|payment|transfer|write|create|update|delete|"
    r"remove|drop|truncate|push|merge|commit|upload|share|invite|forward|run|exec|execute|eval|"
    r"evaluate|kill|stop|cancel|refund|book|publish|put|grant|export|install|move|fetch|download|"
    r"schedule|complete|assign|add|set|reply|submit|charge|withdraw|fork|archive)",
    re.IGNORECASE,
)
"""Tool names whose call writes, sends, pays, runs or deletes (rather than reads)."""

NUDGE = re.compile(
    _any(
        r"\bwhen\b",
        r"\bwhenever\b",
        r"\bif\b",
        r"\beach\b",
        r"\bevery\b",
        r"\ball\b",
        r"\bany\b",
        r"\bkindly\b",
        r"\bplease\b",
        r"\bwould be\b",
        r"\bwe (?:suggest|recommend|ask)\b",
        r"\brecommend\w*\b",
        r"\bappreciat\w*\b",
        r"\bprefer\w*\b",
        r"\bconvention\b",
        r"\bhabit\b",
        r"\bfeel free\b",
        r"\btend(?:s)? to\b",
        r"\bgenerally\b",
        r"\busually\b",
        r"\bgo with\b",
        r"\bbest\b",
        r"\bshould\b",
        r"\bcuando\b",
        r"\bcada\b",
        r"\bwenn\b",
        r"\bjede[rsn]?\b",
        r"\bquand\b",
        r"\bchaque\b",
        "时",
        "每",
    ),
    re.IGNORECASE,
)
"""Words that turn a value into a standing order: a trigger (when, every), a nudge (kindly, we suggest)."""

CODE = re.compile(
    r"^\s*(?:[{<\[]|\"\w+\"\s*:|return\b|//|#!)|[\"']\s*:\s*[\"'\[{]|\)\s*;|=>|</\w+>"
    r"|\b\w+:\s*['\"]|['\"][^'\"]{1,30}['\"]\s*\||\|\s*['\"]"
)
"""A line of code, JSON or markup quoted in a description: its values are examples."""

SECURITY_PRETEXT = re.compile(
    r"\b(?:security|secure|compliance|compliant|integrity|fraud|gdpr|pci|kyc|licen[cs]e|audit|"
    r"policy|verification|authori[sz]ation|protect\w*|mandatory|obligatory|sandbox)\b",
    re.IGNORECASE,
)
"""The pretext of a fake precondition ("a mandatory compliance step")."""
