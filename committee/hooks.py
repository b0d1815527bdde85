"""What the committee lets higher apps plug into (core.hooks; receivers are registered in their AppConfig.ready())."""

from collections.abc import Callable

from core.hooks import Hook

# Sent by committee.services.letter_approve inside its transaction, once per decision, when the reviewed letter
# goes out: the moment the outcome is released (every outcome; a receiver looks at decision.outcome). A receiver
# that raises rolls the release back. Cooperation opens the project of an approval here.
decision_released: Hook[Callable[..., None]] = Hook(
    "committee.decision_released",
    "A committee decision was released (its letter sent). Receivers get decision=, proposal=, by=.",
)
