"""Words that fix an argument, press for a call, give a concrete value or mark an example, for the
behaviour rules (:mod:`intentlens.scan.behaviour`); what a description asks for is in
:mod:`intentlens.scan._lexicon`.
"""

from __future__ import annotations

import re

from intentlens.scan._lexicon import _any

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

_ADDRESSES = (
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\+\d[\d ()-]{7,}\d"  # phone number
    r"|\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b"  # IBAN
)
ADDRESS = re.compile(_ADDRESSES)
"""An e-mail address, an international phone number or an IBAN: where a person or an account is reached."""

IDENTIFIER = re.compile(
    _ADDRESSES
    + r"|https?://[^\s'\"`)]+"  # URL
    r"|\b(?:acct|cus|cust|usr|org|kb)[_-][A-Za-z0-9_-]{2,}\b"  # platform account ids
    r"|(?<![\w.])/(?:tmp|srv|var|etc|home|root|usr)/[^\s'\"`]*"  # absolute path
    r"|\b\d{12,19}\b"  # card or account number
    r"|(?<![\w@])@[A-Za-z][\w-]{2,}(?![\w./])"  # a handle
    r"|(?<![\w&])#(?![0-9a-fA-F]{3,8}\b)[a-z][\w-]{2,}"  # a channel (not a colour)
    r"|(?<!\w)'(?=[^'\n]*\w)[^'\n]{2,80}'(?!\w)|(?<!\w)\"(?=[^\"\n]*\w)[^\"\n]{2,80}\"(?!\w)"  # quoted
    r"|“[^”]{2,80}”|「[^」]{2,80}」"
)
"""A concrete value: an address, a number, an account, a path, or a quoted word."""

DESTINATION = re.compile(
    _ADDRESSES
    + r"|https?://[^\s'\"`)]+"  # URL
    r"|(?<![\w&])#(?![0-9a-fA-F]{3,8}\b)[a-z][\w-]{2,}"  # a channel (not a colour)
)
"""Where something can be sent, in any language: an address, a phone number, an IBAN, a URL, a channel."""

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
