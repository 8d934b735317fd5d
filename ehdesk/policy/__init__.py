"""Policy packs: versioned texts (privacy notice, conversation scripts, reassurance) an authority can replace.

Re-exports :class:`PolicyPack` and :func:`load_pack` from ``ehdesk.policy.pack``; importing this package
reads no files.
"""

from ehdesk.policy.pack import PolicyPack, default_pack, load_pack

__all__ = ["PolicyPack", "default_pack", "load_pack"]
