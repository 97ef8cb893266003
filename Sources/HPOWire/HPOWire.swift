// HPOWire: see README "Layout" for what this target holds.
