"""The durable job queue: asynchronous interviews, wait resumes, scheduled work and deliveries, kept in the
store's database so nothing is lost on a restart."""

from flowforce.jobs.queue import Job, JobQueue
from flowforce.jobs.worker import Worker

__all__ = ["Job", "JobQueue", "Worker"]
