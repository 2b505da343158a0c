"""Hotels, room blocks, room assignments and rooming lists of an event (docs/logistics.md)."""
