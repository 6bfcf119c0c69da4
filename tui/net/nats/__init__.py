"""Publishing events to NATS JetStream: subjects, messages, the connection and the publisher."""
