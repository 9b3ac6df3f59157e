"""`scripts/bench`: what blocker costs on this machine and how fast it reacts.

Every figure is measured on the real code in a sandbox folder and, where it is a cost, set
against the cheapest way of doing the same work on the same machine in the same run,
because these machines are noisy and only ratios travel between them.
"""
