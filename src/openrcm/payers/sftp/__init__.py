"""SFTP clearinghouse connection: upload batches to the remote inbound folder, download what
the clearinghouse leaves in its outbound folder."""
