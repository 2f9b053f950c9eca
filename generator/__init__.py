"""playbook: a sales organisation's operating principles as a site and a deck of cards."""

__version__ = "0.1.0"
