"""The payer simulator: a clearinghouse plus payers, answering files with files."""
