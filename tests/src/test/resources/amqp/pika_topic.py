"""Publishes through a topic exchange with pika (publisher confirms on) and consumes what was routed.

Usage: pika_topic.py PORT. Prints one line per message received, then OK; exits non-zero on any failure.
"""
import sys

import pika

port = int(sys.argv[1])
params = pika.ConnectionParameters(host="127.0.0.1", port=port,
                                   credentials=pika.PlainCredentials("guest", "guest"))
connection = pika.BlockingConnection(params)
channel = connection.channel()
channel.confirm_delivery()
channel.exchange_declare(exchange="pika.topic", exchange_type="topic", durable=True)
result = channel.queue_declare(queue="", exclusive=True)
queue = result.method.queue
channel.queue_bind(exchange="pika.topic", queue=queue, routing_key="stock.*.nyse")
for key in ["stock.ibm.nyse", "stock.sap.xetra", "stock.ge.nyse"]:
    channel.basic_publish(exchange="pika.topic", routing_key=key, body=key.encode(),
                          properties=pika.BasicProperties(content_type="text/plain", delivery_mode=2,
                                                          headers={"source": "pika"}))
received = []
for method, properties, body in channel.consume(queue, inactivity_timeout=5):
    if method is None:
        break
    assert properties.headers == {"source": "pika"}, properties.headers
    received.append(body.decode())
    channel.basic_ack(method.delivery_tag)
    if len(received) == 2:
        break
channel.cancel()
connection.close()
for body in received:
    print(body)
if received != ["stock.ibm.nyse", "stock.ge.nyse"]:
    sys.exit("unexpected messages: %s" % received)
print("OK")
