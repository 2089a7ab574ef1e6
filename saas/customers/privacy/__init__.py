"""Personal data: how long the brand keeps it, what it holds about a person, and erasing it.

`retention` erases identity numbers, document data and bureau answers once the brand's period
has run after a person's last line ended or their sign-up was rejected or abandoned; `holdings`
gathers what the brand holds about a subscriber, `export` writes it out for them, and `erasure`
answers a person's request to erase what the law lets go.
"""
