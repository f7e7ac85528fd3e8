package io.wharf.metadata.controller;

import io.wharf.common.TopicId;

/** A topic named by name or by id (the other is null). */
public record TopicRef(String name, TopicId id) {}
