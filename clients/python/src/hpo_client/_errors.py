class HPOClientError(RuntimeError):
    """A misuse of hpo_client or a broken channel to hpo; the message says what happened and what to do."""
