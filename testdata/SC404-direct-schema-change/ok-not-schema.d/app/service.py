import sqlalchemy as sa

from app.models import User


def work(client, session, repo, table_name):
    User.objects.create(name="x")
    client.create(name="x")
    session.create(User)
    repo.create_all([User()])
    job = client.jobs.get(1)
    job.drop()
    session.execute(sa.text("UPDATE users SET active = true"))
    session.execute("CREATE TEMPORARY TABLE scratch (id int)")
    session.execute(f"DROP TABLE {table_name}")
    print("create table users")
