"""After recognition: the register (认定名录), the cultivation libraries (培育库), yearly re-verification
campaigns (动态管理), revocation (撤销) and the ladder's prerequisites."""

from app.lifecycle import adapter, ladder, operations  # noqa: F401,E402 - registration on import
