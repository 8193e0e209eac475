"""Running untrusted code: a child process with limits, under bubblewrap where it is available."""

from .launch import Launcher, plain_launcher

__all__ = ["Launcher", "plain_launcher"]
