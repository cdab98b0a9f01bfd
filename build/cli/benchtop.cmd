@echo off
rem `benchtop`, the command-line tool of the installed Benchtop app (Windows): runs the CLI bundled
rem in the app with the apps own binary as Node. Installed as resources\bin\benchtop.cmd.
setlocal
set "RESOURCES=%~dp0.."
set "APP=%RESOURCES%\..\Benchtop.exe"
if not exist "%APP%" (
  echo benchtop: the Benchtop app was not found next to this command ^(looked for %APP%^). 1>&2
  exit /b 2
)
set ELECTRON_RUN_AS_NODE=1
"%APP%" "%RESOURCES%\app.asar\out\cli\benchtop.js" %*
exit /b %ERRORLEVEL%
