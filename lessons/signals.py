from django.dispatch import Signal

# Sent after load_course has loaded the lessons, so apps that build on the course (quizzes) load
# their own files from the same folder. Arguments: course, directory, force, report.
course_loaded = Signal()
# Sent after export_course has written the lessons. Arguments: course, directory, report.
course_exported = Signal()
