def proposal_has_filed_report(*, proposal) -> bool:
    """Whether a consultant has filed a pre-consulting report on this proposal (bookings land in issue 4)."""
    return False
