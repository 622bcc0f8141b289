"""Passwords nobody should choose: the most common ones of eight characters or more (the top of the public
breach-corpus lists, with the Chinese favourites: pinyin and number patterns), and runs along the keyboard or the
digits with a few letters or digits added. Compared case-insensitively."""

from __future__ import annotations

import re

COMMON = frozenset("""
password password1 password12 password123 passw0rd p@ssw0rd p@ssword pass1234 pass12345 password1!
qwerty12 qwerty123 qwerty1234 qwertyui qwertyuiop qwer1234 asdf1234 asdfghjk asdfghjkl zxcvbnm1 zxcvbnm123
1qaz2wsx 1q2w3e4r 1q2w3e4r5t qazwsx123 qweasdzxc 1qazxsw2 zaq12wsx q1w2e3r4 a1b2c3d4 abcd1234 abc12345
abc123456 aa123456 a1234567 a12345678 a123456789 123456abc 123abc456 12345678a 123456789a 12qwaszx
iloveyou1 iloveyou iloveu123 woaini1314 woaini520 5201314a a5201314 woaini123 nihao123 zhang123 wang1234
admin123 admin1234 admin12345 administrator root1234 welcome1 welcome123 letmein1 monkey123 dragon123
sunshine1 princess1 football1 baseball1 superman1 trustno1 master123 shadow123 michael1 jennifer1
test1234 test12345 testtest user1234 guest123 china123 china1234 beijing1 shanghai1 huawei123 baidu123
demo1234 changeme1 changeme123 default1 secret123 computer1 internet1 whatever1 starwars1 hello123
""".split())

_RUNS = ("1234567890", "0987654321", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def _run_length(text: str) -> int:
    """The longest stretch of `text` that runs along the digits, the keyboard or the alphabet."""
    best = 0
    for run in _RUNS:
        for start in range(len(text)):
            length = 0
            while start + length < len(text) and text[start:start + length + 1] in run:
                length += 1
            best = max(best, length)
    return best


def is_common(password: str) -> bool:
    lowered = password.lower()
    if lowered in COMMON:
        return True
    if len(set(lowered)) <= 2:  # aaaa1111, 11111111a
        return True
    core = re.sub(r"[^a-z0-9]", "", lowered)
    return len(core) >= 8 and _run_length(core) >= len(core) - 2  # 12345678a, qwertyui9, abcdefg12
