"""The storage service: durable, sealed key-value store and FIFO queues."""
