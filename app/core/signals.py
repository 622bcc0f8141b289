"""Cross-domain effects travel as signals (blinker), not as calls from one domain into another: the
register says a recognition was granted or revoked; rewards (and later others) connect to these."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# sender: the Recognition row; kwargs: `application` (may be None), `on` (the date)
recognition_granted = _signals.signal("recognition-granted")
# sender: the Recognition row; kwargs: `reason`, `on`
recognition_revoked = _signals.signal("recognition-revoked")
# sender: the Recognition row; kwargs: `status` (expired, exited), `reason`, `on`
recognition_ended = _signals.signal("recognition-ended")
