from django.urls import path

from consulting import availability_views, schedule_views, views
from core import converters  # noqa: F401  (registers <token:...>)

app_name = "consulting"

urlpatterns = [
    path("", views.consultant_list, name="consultant-list"),
    path("consultants/<int:pk>/", views.consultant_detail, name="consultant-detail"),
    path("consultants/<int:pk>/book/", views.booking_new, name="booking-new"),
    path("sessions/", views.my_sessions, name="my-sessions"),
    path("consultant/", views.consultant_home, name="consultant-home"),
    path("consultant/availability/", availability_views.availability, name="availability"),
    path("consultant/availability/overrides/<int:pk>/remove/", availability_views.override_remove,
         name="availability-override-remove"),
    path("consultant/profile/", availability_views.profile, name="consultant-profile"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking-detail"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<int:pk>/reschedule/", views.booking_reschedule, name="booking-reschedule"),
    path("bookings/<int:pk>/mark/", views.booking_mark, name="booking-mark"),
    path("bookings/<int:pk>/report/", views.booking_report, name="booking-report"),
    path("bookings/<token:token>/manage/", views.booking_manage, name="booking-manage"),
    path("feed/<token:token>.ics", views.feed, name="feed"),
    path("staff/week/", views.staff_week, name="staff-week"),
]

urlpatterns += [
    path("queue/", schedule_views.queue, name="queue"),
    path("queue/<int:pk>/take/", schedule_views.queue_take, name="queue-take"),
    path("queue/taken/<int:pk>/give-back/", schedule_views.queue_give_back, name="queue-give-back"),
    path("proposals/<int:pk>/schedule/", schedule_views.schedule, name="schedule"),
    path("bookings/<int:pk>/accept/", schedule_views.booking_accept, name="booking-accept"),
]
