from workflow.cli import app

app(prog_name="workflow")
