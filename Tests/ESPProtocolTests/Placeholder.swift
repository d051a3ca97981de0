// Placeholder until the protocol tests land.
