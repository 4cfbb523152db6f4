"""Action plans: tasks with lead and coordinating agencies and deadlines."""
