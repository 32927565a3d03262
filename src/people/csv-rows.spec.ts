import { CsvHeaderProblem, csvPeople } from './csv-rows';

describe('people from CSV', () => {
  it('reads the header in any order and case, quoted fields with commas, a BOM and CRLF lines', () => {
    const text = '\uFEFFRole,USERNAME,Team,Password\r\nagent,a7,North,"x,Y-1234567"\r\n\r\nSupervisor,s7,,Another-Pass-99\r\n';
    expect(csvPeople(text)).toEqual([
      { row: 1, username: 'a7', role: 'agent', password: 'x,Y-1234567', team: 'North' },
      { row: 2, username: 's7', role: 'supervisor', password: 'Another-Pass-99', team: '' },
    ]);
  });

  it('a row with the wrong number of fields is malformed on its own; the team column is optional', () => {
    expect(csvPeople('username,role,password\nq7,qa,Pass-word-77x\nbad,agent\n')).toEqual([
      { row: 1, username: 'q7', role: 'qa', password: 'Pass-word-77x', team: '' },
      { row: 2, username: 'bad', malformed: '2 fields, the header has 3' },
    ]);
  });

  it.each([
    ['', /empty/],
    ['username,role\nx,agent', /lacks password/],
    ['username,role,password\n"unterminated,agent,x', /not readable as CSV/],
    [`username,role,password\n${'u,agent,p\n'.repeat(1001)}`, /more than 1000 rows/],
  ])('refuses the whole file: %#', (text, message) => {
    expect(() => csvPeople(text)).toThrow(CsvHeaderProblem);
    expect(() => csvPeople(text)).toThrow(message);
  });
});
