"""Bank payment files (ISO 20022) and postal-order lists: pure format code, no domain model.

- `pain001`: the credit-transfer file CNOPS gives its bank (pain.001.001.03), written as a
  stream from an iterable of transfers, with its count and control sum always those of the
  items written; `schema_problems` checks a file against the official XSD (`schemas/`).
- `pain002`: the bank's status report read back, a line per transaction, unknown ids reported.
- `postal`: the list of postal orders for payees with no RIB (CSV or XLSX).
- `reasons`: the ISO 20022 status reason codes a bank returns, with translated labels.

The caller (the payment batches of `claims`) decides who is paid what; this package only writes
and reads the files (decision 0015).
"""
