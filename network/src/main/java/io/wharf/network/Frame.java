package io.wharf.network;

import io.netty.buffer.ByteBuf;

/** One request's bytes (without the size prefix), holding a reservation of {@code reservedBytes} request memory. */
record Frame(ByteBuf bytes, int reservedBytes) {}
