"""Peer Support Hub."""
