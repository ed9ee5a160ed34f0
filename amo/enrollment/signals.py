"""What enrollment tells the later steps of the pipeline, without importing them: a later app
(layer 3's order: enrollment < contributions < imports < eligibility < coverage) connects its
receiver in its AppConfig.ready (docs/decisions/0002-app-boundaries.md).

Sent inside the service's transaction, at the point of the change: a receiver's writes commit or
roll back with it, and an error in a receiver undoes the change (`send`, not `send_robust`)."""

from django.dispatch import Signal

# A request was validated by its institution. Keyword: request_ids (list[int]).
# Receiver: contributions (its due is computed).
registration_validated = Signal()
