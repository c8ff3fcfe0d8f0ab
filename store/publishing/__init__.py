"""Getting posts out: what each platform accepts, the caption each channel is sent, and (next)
deliveries, the scheduler and the connectors."""
