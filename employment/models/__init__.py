from employment.models.posts import PostPayment, WelfarePost
from employment.models.records import EmploymentRecord
from employment.models.trainings import Trainee, Training
from employment.models.workshops import Workshop

__all__ = [
    "EmploymentRecord",
    "PostPayment",
    "Trainee",
    "Training",
    "WelfarePost",
    "Workshop",
]
