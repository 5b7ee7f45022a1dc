"""levelup: turn an engineering growth roadmap into a plan people follow."""

__version__ = "0.1.0"
