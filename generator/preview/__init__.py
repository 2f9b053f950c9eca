"""`playbook serve`: the live preview that rebuilds what a change touched."""
