@echo off
rem jmpirun.cmd: starts a jmpi job on Windows (jmpirun --help lists the options; README.md, "Windows and macOS").
rem The launcher is Java (io.jmpi.launch.JmpiRun, the Main-Class of jmpi.jar): this file only finds java and the jar,
rem in a release (lib\jmpi.jar) or a built clone (mpi-core\target\jmpi.jar). Unlike bin/jmpirun it does not build:
rem in a clone run "mvn -DskipTests package" first.
rem
rem NOT RUN ON WINDOWS: written and reviewed on Linux only (issue 22). What is tested is the same launcher started as
rem "java -jar jmpi.jar" with a PATH that holds nothing but java (PortableLauncherIT). No parenthesised blocks below:
rem a path with ")" in it (C:\Program Files (x86)\...) would end such a block early.
setlocal
set "JMPI_HOME=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA=%JAVA_HOME%\bin\java.exe"
set "JAR=%JMPI_HOME%\lib\jmpi.jar"
if not exist "%JAR%" set "JAR=%JMPI_HOME%\mpi-core\target\jmpi.jar"
if exist "%JAR%" goto run
echo jmpirun: no lib\jmpi.jar or mpi-core\target\jmpi.jar under "%JMPI_HOME%"; in a clone build it: mvn -DskipTests package 1>&2
exit /b 125
:run
rem The launcher only forwards output and waits: C1 and the serial GC start it fastest (as bin/jmpirun does).
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-Dpicocli.converters.excludes=java.sql.*,java.time.*" -jar "%JAR%" %*
exit /b %ERRORLEVEL%
