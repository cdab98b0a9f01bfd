@echo off
rem `benchtop`, the command-line tool of the installed Benchtop app (Windows): starts the app's
rem own binary in command-line mode (--benchtop-cli -- ARGS), whose main process runs the CLI bundled
rem in app.asar with no window and exits with its code. The binary's RunAsNode fuse is off, so
rem ELECTRON_RUN_AS_NODE is not used. Installed as resources\bin\benchtop.cmd.
setlocal
set "RESOURCES=%~dp0.."
set "APP=%RESOURCES%\..\Benchtop.exe"
if not exist "%APP%" (
  echo benchtop: the Benchtop app was not found next to this command ^(looked for %APP%^). 1>&2
  exit /b 2
)
set ELECTRON_RUN_AS_NODE=
"%APP%" --benchtop-cli -- %*
exit /b %ERRORLEVEL%
