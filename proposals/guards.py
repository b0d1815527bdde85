"""Conditions other apps own but the workflow must respect."""


def pre_consulting_report_filed(proposal) -> bool:
    from consulting.selectors import proposal_has_filed_report

    return proposal_has_filed_report(proposal=proposal)
