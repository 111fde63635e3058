"""Directory (SFTP-style) drop: outbox and inbox folders shared with a clearinghouse."""
