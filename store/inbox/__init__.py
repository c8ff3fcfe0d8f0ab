"""The unified inbox (next): comments, mentions and DMs in, queue rules, replies out through the
publishing outbox."""
