"""Credit checks: a bureau's report and the brand's scorecard give a credit class, which decides
what may be sold to a person (deposit, monthly credit limit, lines, postpaid or prepaid only).
"""
