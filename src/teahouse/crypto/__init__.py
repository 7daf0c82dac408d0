"""Cryptography of Teahouse: user-file formats (``teahouse.crypto.files``) and sealing."""
