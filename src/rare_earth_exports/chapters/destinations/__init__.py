"""Every destination of China's magnet exports on one page: the United States first."""
