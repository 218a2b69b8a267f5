# cmake -DSOURCE_DIR=... -DINPUT=version.h.in -DOUTPUT=.../version.h -P version.cmake
# Writes the commit `git describe` names into the header; configure_file leaves the file alone when nothing
# changed, so an unchanged commit rebuilds nothing.
set(BENCH_GIT_DESCRIBE "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags
                  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE describe_out RESULT_VARIABLE describe_rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(describe_rc EQUAL 0 AND NOT describe_out STREQUAL "")
    set(BENCH_GIT_DESCRIBE "${describe_out}")
  endif()
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
