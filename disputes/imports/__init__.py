"""Bringing outside records in: DAIL's litigation tables, public licensing deals and CourtListener dockets.

Readers turn a file into rows (``readers``), normalisation turns free text into comparable keys (``normalise``),
matching finds what is already in the record (``matching``), and the services write (``dail``, ``licensing``,
``courtlistener``). Every write goes through one case (or one licence, one docket) at a time in its own
transaction, so an import never leaves half a case behind.
"""
