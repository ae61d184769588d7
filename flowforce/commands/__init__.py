"""Sub-commands of `flowforce` that manage an org offline; each opens the org as every entry point does."""
