"""Running untrusted code: a child process with limits, under bubblewrap where it is available."""

from .bwrap import LAUNCHERS, BwrapLauncher, SandboxUnavailable, bwrap_works, default_launcher, launcher_for
from .launch import Launcher, direct_launcher

__all__ = ["LAUNCHERS", "BwrapLauncher", "Launcher", "SandboxUnavailable", "bwrap_works", "default_launcher",
           "launcher_for", "direct_launcher"]
