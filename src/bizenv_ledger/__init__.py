"""bizenv-ledger: 营商环境对标整改提升工作台账 — the plan as YAML under git, and the CLI that keeps it."""

__all__ = ["__version__"]

__version__ = "0.1.0"
