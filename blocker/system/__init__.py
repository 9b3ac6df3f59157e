"""The machine: paths, atomic writes, blocker's shipped data, clocks and service files."""
