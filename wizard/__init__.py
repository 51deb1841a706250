"""Pesanan Lancar: a troubleshooting wizard for TikTok Shop sellers."""
