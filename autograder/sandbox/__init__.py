"""Running untrusted code: a child process with limits, under bubblewrap where it is available."""

from .bwrap import BwrapLauncher, SandboxUnavailable, default_launcher
from .launch import Launcher, plain_launcher

__all__ = ["BwrapLauncher", "Launcher", "SandboxUnavailable", "default_launcher", "plain_launcher"]
